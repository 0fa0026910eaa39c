"""Shared primitives: layout constants, transistor and wire formulas, the circuit base class."""
