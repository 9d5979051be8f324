"""Open data service about the Almaty Process on Refugee Protection and International Migration."""
