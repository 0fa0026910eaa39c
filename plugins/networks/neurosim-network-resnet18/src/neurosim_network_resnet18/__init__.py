"""ResNet18 (ImageNet) network plugin for neurosim."""
