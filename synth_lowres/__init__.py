"""LLMs as teachers: synthetic training data for low-resource multilingual text classification"""

__version__ = "0.1.0"
