"""HTTP plumbing shared by every blueprint: the Api, error shape, transactions, auth."""
