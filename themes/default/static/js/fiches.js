// fiches enhancements
