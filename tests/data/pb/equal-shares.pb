META
key;value
description;Equal shares, worked by hand in tests/test_tally.c
country;Finland
unit;Test
instance;2026
num_projects;4
num_votes;6
budget;1200
vote_type;approval
rule;equalshares/add1
date_begin;01.03.2026
date_end;15.03.2026
min_length;1
max_length;2
currency;EUR
comment;#1: made up for the tests
PROJECTS
project_id;cost;votes;name;selected
A;800;4;Skate park;1
B;400;2;"Reading corner; books";1
C;400;2;Garden;0
D;100;1;Bench;0
VOTES
voter_id;vote
v1;A,D
v2;A
v3;A
v4;A
v5;B,C
v6;C,B
