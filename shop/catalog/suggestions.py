"""The catalogue's "did you mean": a corrected query for a search that found nothing.

PostgreSQL asks its trigram index on product titles (migration 0004) for candidate words, and
neighbouring letters swapped are looked up too ("tnet" -> "tent"); SQLite compares with a
cached vocabulary of the titles' words.
"""

import difflib
import re
from collections import Counter
from dataclasses import replace
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.postgres.search import (
    TrigramWordSimilarity,
)
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Q,
)
from django.db.models.functions import Greatest

# The versions cached reads are keyed by live in cache_versions; other apps read them here.
from shop.catalog.cache_versions import catalog_cache_key, catalog_version  # noqa: F401
from shop.catalog.category_selectors import category_tree
from shop.catalog.models import Product
from shop.catalog.product_filters import ProductFilters
from shop.catalog.selectors import product_list

# A word is corrected to a known one at least this close (difflib's ratio: "tnet" and "tent"
# are 0.75, "tnet" and "tea" 0.57, "mug" and "rug" 0.67).
SUGGESTION_CUTOFF = 0.75
SUGGESTION_MAX_WORDS = 5
# Bounds of the SQLite vocabulary (PostgreSQL asks its trigram index instead).
VOCABULARY_MAX_TITLES = 20_000
VOCABULARY_MAX_WORDS = 5_000
# Titles PostgreSQL's trigram search hands back as candidates.
TRIGRAM_CANDIDATE_TITLES = 20
# Words up to this length are also looked up with neighbouring letters swapped (_transpositions).
TRANSPOSED_MAX_LENGTH = 8
_WORD = re.compile(r"[^\W_]+")


def product_search_suggestion(*, filters: ProductFilters) -> str:
    """Return a spelling of the search `filters.q` that finds products, or "" if none is known.

    Meant for a search that found nothing: each word of at least three letters that is not a
    known word is replaced by the closest known one (a word of a published product's title or
    a category's name). PostgreSQL finds the candidate titles with its trigram index
    (pg_trgm); SQLite compares with a cached vocabulary (titles and brands, bounded); both in
    a constant number of queries.
    The suggestion is offered only if it finds products under the same filters.
    """
    words = [word.lower() for word in _WORD.findall(filters.q)][:SUGGESTION_MAX_WORDS]
    if not any(_correctable(word) for word in words):
        return ""
    known = set(_category_words())
    if connection.vendor == "postgresql":
        known.update(_trigram_candidate_words(words))
    else:
        known.update(_search_vocabulary())
    # Sorted, so that equally close words give the same answer on every run.
    candidates = sorted(known)
    corrected = [_word_correct(word, known=known, candidates=candidates) for word in words]
    if corrected == words:
        return ""
    suggestion = " ".join(corrected)
    if not product_list(filters=replace(filters, q=suggestion, sort="")).exists():
        return ""
    return suggestion


def _correctable(word: str) -> bool:
    return len(word) >= 3 and not word.isdigit()


def _word_correct(word: str, *, known: set[str], candidates: list[str]) -> str:
    if not _correctable(word) or word in known:
        return word
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=SUGGESTION_CUTOFF)
    return matches[0] if matches else word


def _words(text: str) -> list[str]:
    return [word for word in (w.lower() for w in _WORD.findall(text)) if _correctable(word)]


def _category_words() -> set[str]:
    return {word for category in category_tree().categories for word in _words(category.name)}


def _search_vocabulary() -> list[str]:
    """The words of published products' titles and brands, most frequent first (cached)."""
    key = catalog_cache_key("search-vocabulary")
    vocabulary = cache.get(key)
    if vocabulary is None:
        rows = Product.objects.filter(is_published=True).values_list("title", "brand")
        counts = Counter(
            word
            for title, brand in rows[:VOCABULARY_MAX_TITLES]
            for word in _words(title + " " + brand)
        )
        vocabulary = [word for word, _ in counts.most_common(VOCABULARY_MAX_WORDS)]
        cache.set(key, vocabulary, settings.CATALOG_CACHE_SECONDS)
    return vocabulary


def _transpositions(word: str) -> set[str]:
    """`word` and its spellings with two neighbouring letters swapped ("tnet" -> "tent").

    Trigrams barely see a swap in a short word ("tnet" and "tent" share one trigram of five),
    the commonest typing slip; the swapped spellings are looked up as well. A long word shares
    enough trigrams with its right spelling: it is looked up as typed.
    """
    if len(word) > TRANSPOSED_MAX_LENGTH:
        return {word}
    return {word, *(word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1))}


def _trigram_candidate_words(words: list[str]) -> set[str]:
    """The words of the published titles most similar to `words` (PostgreSQL, one query).

    `title %> spelling` (word similarity at least pg_trgm.word_similarity_threshold, 0.6) is
    answered by the trigram index on the title (migration 0004).
    """
    spellings = sorted({s for word in words if _correctable(word) for s in _transpositions(word)})
    similarities = [TrigramWordSimilarity(spelling, "title") for spelling in spellings]
    titles = (
        Product.objects.filter(is_published=True)
        .filter(reduce(or_, (Q(title__trigram_word_similar=s) for s in spellings)))
        .annotate(similarity=similarities[0] if len(similarities) == 1 else Greatest(*similarities))
        .order_by("-similarity", "id")
        .values_list("title", flat=True)[:TRIGRAM_CANDIDATE_TITLES]
    )
    return {word for title in titles for word in _words(title)}
