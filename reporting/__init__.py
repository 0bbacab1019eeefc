"""What people read: the HTML report of each refresh and the generated schema documentation."""
