"""ketentest: simulators of the four GMSD chain parties and the harness around them."""

__version__ = "0.1.0"
