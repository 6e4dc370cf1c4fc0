"""Agencies: the government, its departments and townships, each with its own 指南 (条例 Art. 12)."""
