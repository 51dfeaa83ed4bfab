Cost: 0
