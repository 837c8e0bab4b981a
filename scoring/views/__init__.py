"""Pages that read scores: the dashboard and team pages (dashboard.py), and one agent's feedback
for the agent, their leads and IT managers (feedback.py)."""
