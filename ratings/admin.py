# CustomerRating is deliberately not in the admin: ratings are seen only per department.
