"""The audit log of staff actions (网络安全法 Art. 21: kept at least six months)."""
