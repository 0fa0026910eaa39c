"""RoBERTa + LoRA (GLUE SST-2) network plugin for neurosim."""
