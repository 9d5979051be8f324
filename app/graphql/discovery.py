"""The GraphQL types of search hits and facets."""

from strawberry.experimental.pydantic import type as pydantic_type

from app.graphql.common import OrganizationRef, StateRef, bounded_field
from app.schemas import discovery


@pydantic_type(model=discovery.SearchHit, all_fields=True, name="SearchHit")
class SearchHit:
    pass


@pydantic_type(model=discovery.YearFacetValue, all_fields=True, name="YearFacetValue")
class YearFacetValue:
    pass


@pydantic_type(model=discovery.KindFacetValue, all_fields=True, name="KindFacetValue")
class KindFacetValue:
    pass


@pydantic_type(model=discovery.CountryFacetValue, all_fields=True, name="CountryFacetValue")
class CountryFacetValue:
    state: StateRef


@pydantic_type(
    model=discovery.OrganizationFacetValue, all_fields=True, name="OrganizationFacetValue"
)
class OrganizationFacetValue:
    organization: OrganizationRef


@pydantic_type(model=discovery.EventFacets, all_fields=True, name="EventFacets")
class EventFacets:
    year: list[YearFacetValue] = bounded_field(50)
    kind: list[KindFacetValue] = bounded_field(20)
    # Host countries: of the 249 ISO 3166-1 codes.
    country: list[CountryFacetValue] = bounded_field(250)
    organization: list[OrganizationFacetValue] = bounded_field(100)


@pydantic_type(model=discovery.EventStatsRow, all_fields=True, name="EventStatsRow")
class EventStatsRow:
    country: StateRef | None
    state: StateRef | None
    organization: OrganizationRef | None
