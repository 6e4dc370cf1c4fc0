"""Architecture of the site: import contracts and the tests that walk the URL map."""
