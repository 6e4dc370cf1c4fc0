"""Blueprints, one per audience: public, staff, api (design.md §2)."""
