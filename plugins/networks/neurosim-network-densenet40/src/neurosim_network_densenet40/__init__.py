"""DenseNet40 (CIFAR-10) network plugin for neurosim."""
