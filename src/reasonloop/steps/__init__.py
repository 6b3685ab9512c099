"""Steps of a response: where it splits (`split`), and what each step prefix is worth."""
