"""Curriculum experiments: wake-sleep runs over task sets, their records and plots."""
