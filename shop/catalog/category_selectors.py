"""Reads of the category tree: the whole tree in one query, cached per catalogue version, and
what pages make of it (a category by its address, the header's menu)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.http import Http404

from shop.catalog.cache_versions import catalog_cache_key
from shop.catalog.models import Category


@dataclass
class CategoryTree:
    """The whole category tree, read in one query and cached per catalogue version."""

    categories: list[Category]
    by_id: dict[int, Category] = field(default_factory=dict)
    by_slug: dict[str, Category] = field(default_factory=dict)
    children: dict[int | None, list[Category]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for category in self.categories:
            self.by_id[category.pk] = category
            self.by_slug[category.slug] = category
            self.children.setdefault(category.parent_id, []).append(category)

    @property
    def roots(self) -> list[Category]:
        return self.children.get(None, [])

    def ancestors(self, category: Category) -> list[Category]:
        """Return the path from the root down to `category`'s parent."""
        path: list[Category] = []
        seen: set[int] = set()
        current = self.by_id.get(category.parent_id) if category.parent_id else None
        while current is not None and current.pk not in seen:
            seen.add(current.pk)
            path.append(current)
            current = self.by_id.get(current.parent_id) if current.parent_id else None
        return list(reversed(path))

    def descendant_ids(self, category: Category) -> list[int]:
        """Return `category`'s id and the ids of every category below it."""
        ids, stack = [], [category]
        while stack:
            node = stack.pop()
            if node.pk in ids:
                continue
            ids.append(node.pk)
            stack.extend(self.children.get(node.pk, []))
        return ids


def category_tree() -> CategoryTree:
    key = catalog_cache_key("category-tree")
    categories = cache.get(key)
    if categories is None:
        categories = list(Category.objects.order_by("position", "name"))
        cache.set(key, categories, settings.CATALOG_CACHE_SECONDS)
    return CategoryTree(categories=categories)


def category_get(*, slug: str) -> Category:
    category = category_tree().by_slug.get(slug)
    if category is None:
        raise Http404("No such category.")
    return category


@dataclass(frozen=True)
class CategoryMenuSection:
    """A top-level category and its children, as the header's categories menu shows them."""

    category: Category
    children: list[Category]


def category_menu() -> list[CategoryMenuSection]:
    """Return the top-level categories with their children, from the cached tree.

    No query while the tree is cached (one to read it after a catalogue change): base.html
    shows it on every page, and catalogue pages cache it in their frame, which the catalogue
    version rebuilds when a category changes.
    """
    tree = category_tree()
    return [
        CategoryMenuSection(category=root, children=tree.children.get(root.pk, []))
        for root in tree.roots
    ]
