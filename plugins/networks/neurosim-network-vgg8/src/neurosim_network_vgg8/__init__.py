"""VGG8 (CIFAR-10) network plugin for neurosim."""
