"""The estimation engine: composes technology, device, circuit and interconnect plugins into
subarray -> PE -> tile -> chip models and evaluates them on layer traces."""
