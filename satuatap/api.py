"""The JSON API v1 (see shared api-contract): one NinjaAPI, a router per app."""

from ninja import NinjaAPI

api = NinjaAPI(title="satuatap API", version="1", urls_namespace="api")
