"""Reports and KPIs."""
