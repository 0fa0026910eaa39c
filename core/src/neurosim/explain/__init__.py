"""Explaining figures: folded contribution trees (:mod:`.fold`, :mod:`.printing`), their
versioned JSON form (:mod:`.treejson`), the attribution of a change between two results
(:mod:`.attribution`) and its waterfall plot (:mod:`.waterfall`)."""
