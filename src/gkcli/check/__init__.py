"""The rules of a sound registry beyond its schema. The rule table (:mod:`.rules`), the rules by
family (:mod:`.structure`, :mod:`.units`, :mod:`.references`, :mod:`.text`, :mod:`.review`) and
:mod:`.runner`, which runs them all on whatever could be validated. Below the store, which runs them."""
