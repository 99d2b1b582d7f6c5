"""The control API and the test hooks a harness uses inside a party: reset, clock, timeline,
faults (``storingen``), restarts (``herstart``), deliberate defects (``defects``), the
courier's time-out and waiting until idle. A real partner's endpoint has none of this."""
