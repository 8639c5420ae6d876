"""Notifications: news delivered in the app and, by each user's choice, by e-mail, each piece
once (``Delivery`` holds a unique key per user)."""
