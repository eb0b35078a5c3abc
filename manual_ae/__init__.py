"""manual_ae: autoencoders from five posts, every gradient written by hand and checked."""
__version__ = "0.1.0"
