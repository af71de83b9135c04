from rest_framework.routers import SimpleRouter

from shop.catalog import api

router = SimpleRouter()
# Both /products and /products/ answer. SimpleRouter(trailing_slash="/?") is not enough: its
# __init__ turns any truthy value into "/", so the optional slash is set afterwards.
router.trailing_slash = "/?"
router.register("categories", api.CategoryApi, basename="api-category")
router.register("merchants", api.MerchantApi, basename="api-merchant")
router.register("products", api.ProductApi, basename="api-product")

urlpatterns = [*router.urls]
