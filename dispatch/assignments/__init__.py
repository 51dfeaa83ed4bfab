"""Job assignments (派工): who assigned a visit to whom, when and why, and its acceptance (接单)."""
