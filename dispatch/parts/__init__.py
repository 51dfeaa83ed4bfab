"""The parts catalogue: codes, names and prices technicians record on vouchers."""
