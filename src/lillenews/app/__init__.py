"""Use cases behind the façade (facade.LilleNews): the cache-through-fetch rule, the
listing walker, sync, search, the agenda."""
