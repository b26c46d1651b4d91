"""The documents, named as their readers know them.

Each reference module's ``DOCUMENT`` is a :class:`Document`: its title, its
author and where it was published, as far as the document itself says (none
of the five names a date of more than month and day, and two name no author).
``micrograd-nn list``, ``micrograd-nn compare`` and the README's "The
documents" table show them.

>>> from micrograd_nn.documents import doc002
>>> print(doc002.DOCUMENT)
"Deep Neural Networks from scratch in Python", Piotr Babel, a Medium article (Jun 11)
>>> doc002.DOCUMENT.short
'Babel, Medium'
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Document"]


@dataclass(frozen=True)
class Document:
    """A tutorial document a reference module re-implements.

    Attributes:
        title: the title as the document gives it; ``""`` when it gives none.
        author: the author's name as the document gives it; ``""`` when it names none.
        venue: where and when it was published, as the document says.
        short: a few words for a table column, e.g. ``"Babel, Medium"``.
    """

    title: str
    author: str
    venue: str
    short: str

    def __str__(self) -> str:
        title = f'"{self.title}"' if self.title else ""
        return ", ".join(part for part in (title, self.author, self.venue) if part)
