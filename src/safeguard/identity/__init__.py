"""Identity: link agencies' person records into children and give each a stable child reference."""
