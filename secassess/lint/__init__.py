"""`secassess lint`: is an inventory well-formed, consistent and safe to assess?"""
