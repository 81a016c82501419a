"""Search: one interface (`search(task, library, budget)`), several searchers."""

from neurosym.search.base import SEARCH_LIMITS, Budget, Clock, SearchResult, Searcher, make_result

__all__ = ["SEARCH_LIMITS", "Budget", "Clock", "SearchResult", "Searcher", "make_result"]
