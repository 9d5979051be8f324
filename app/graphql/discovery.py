"""The GraphQL types of search hits and facets."""

from strawberry.experimental.pydantic import type as pydantic_type

from app.schemas import discovery


@pydantic_type(model=discovery.SearchHit, all_fields=True, name="SearchHit")
class SearchHit:
    pass


@pydantic_type(model=discovery.FacetValue, all_fields=True, name="FacetValue")
class FacetValue:
    pass


@pydantic_type(model=discovery.EventFacets, all_fields=True, name="EventFacets")
class EventFacets:
    pass
