enum LoupeServerModule {}
