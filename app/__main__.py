from app.cli import leave, main

leave(main())
