"""IT's ratings of its customers: opt-in per team, shown only per requester department."""
