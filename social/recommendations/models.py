"""Recommendations' tables: people you may know (people_*), products for you and the
personal home (products_*)."""
