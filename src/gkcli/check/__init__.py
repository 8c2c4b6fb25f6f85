"""gkcli check: the rule table (:mod:`.rules`), the rules beyond the schema by family
(:mod:`.structure`, :mod:`.units`, :mod:`.references`, :mod:`.text`) and :mod:`.runner`,
which runs them all on what could be validated."""
