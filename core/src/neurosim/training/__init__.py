"""Hardware-aware (WAGE) training (``neurosim train``): :mod:`.wage` quantizers, :mod:`.loop`."""
