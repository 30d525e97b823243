// glossary tooltips
