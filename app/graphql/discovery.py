"""The GraphQL types of search hits and facets."""

import strawberry
from strawberry.experimental.pydantic import type as pydantic_type

from app.graphql.common import bounded
from app.schemas import discovery


@pydantic_type(model=discovery.SearchHit, all_fields=True, name="SearchHit")
class SearchHit:
    pass


@pydantic_type(model=discovery.FacetValue, all_fields=True, name="FacetValue")
class FacetValue:
    pass


@pydantic_type(model=discovery.EventFacets, all_fields=True, name="EventFacets")
class EventFacets:
    year: list[FacetValue] = strawberry.field(**bounded(50))
    kind: list[FacetValue] = strawberry.field(**bounded(20))
    # Host countries: of the 249 ISO 3166-1 codes.
    country: list[FacetValue] = strawberry.field(**bounded(250))
    organization: list[FacetValue] = strawberry.field(**bounded(100))
