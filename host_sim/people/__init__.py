"""People at the event: where they stand and walk, and what their pins' accelerometers feel.

motion.py synthesises accelerometer motion (walking, gestures, tap gestures, vehicles) for a
pin worn on the chest or a lanyard; replay.py reads recordings and gives the firmware's view
of any source through the LIS3DH; oxford.py reads real walks (the Oxford Step Counter data
set's optimisation/ folder); daysource.py strings motion segments into one pin's day;
scenarios.py builds the rooms the tap benchmark and tests use (a tap, bystanders,
passers-by, a crowd); dayplan.py a whole day for a group. Pure CPython model code: imports
nothing of host_sim but itself and the firmware's LIS3DH driver table (replay.py is also in
MicroPython's common subset, for scripts on the unix port)."""
