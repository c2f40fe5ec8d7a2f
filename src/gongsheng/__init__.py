"""Gongsheng (共生): run and measure a municipal industry-education consortium."""

__version__ = "0.1.0"
