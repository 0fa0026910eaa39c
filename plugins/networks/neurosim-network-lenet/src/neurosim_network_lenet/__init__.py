"""LeNet-style CNN (8x8 handwritten digits) network plugin for neurosim."""
