from enum import StrEnum


class CatalogError(StrEnum):
    INVALID_FILTER = "invalid_filter"
    NOT_YOUR_MERCHANT = "not_your_merchant"
    DUPLICATE_SKU = "duplicate_sku"
    OUT_OF_STOCK = "out_of_stock"
    CATEGORY_LOOP = "category_loop"
