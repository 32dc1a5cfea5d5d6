"""Pagination for lists that can grow to the whole program (100,000 members)."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from cssp_portal.precompiled import FirstPage


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap` rows (then says "more than `cap`").

    An exact COUNT(*) over 100,000 people reads every matching row on every page view; past a
    thousand results nobody pages through them, they narrow the search. The count is taken
    over `LIMIT cap + 1`, so it costs the same whatever the size of the program.
    """

    def __init__(self, object_list, per_page, *, cap: int = 1000, **kwargs):
        self.cap = cap
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, FirstPage):
            # Counted by its own query, which its maker takes over LIMIT cap + 1 too
            # (members.selectors.directory_pages).
            return min(self.object_list.count(), self.cap + 1)
        return min(self.object_list[: self.cap + 1].count(), self.cap + 1)

    @property
    def is_capped(self) -> bool:
        """More results exist than were counted: the page says "more than `cap`"."""
        return self.count > self.cap
