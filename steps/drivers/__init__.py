"""HTTP drivers: what a step may ask of a party, in domain words. Every URL and path of a
party lives here, one module per party; ``Keten`` holds the four and the control that
spans them. A step knows the business, never an address.
"""

from .base import ChainError, NoAnswerError, PartyDriver, WrongAnswerError, the_one
from .cbs import CbsDriver
from .gemeente import GemeenteDriver
from .ggk import GgkDriver, PortaalPagina
from .keten import Keten
from .rinis import INBOX, VERZENDMAP, RinisDriver

__all__ = ["INBOX", "VERZENDMAP", "CbsDriver", "ChainError", "GemeenteDriver", "GgkDriver", "Keten",
           "NoAnswerError", "PartyDriver", "PortaalPagina", "RinisDriver", "WrongAnswerError", "the_one"]
