"""找错: readers report errors on the site's pages; each report reaches staff as a task with a
due date (《政府网站发展指引》, rules.md §10.2)."""
