"""The services of 政务服务事项: their records and versions, the staff desk, imports, public pages."""
